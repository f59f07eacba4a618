// Types of bench/servers.mjs for the TypeScript tests that start the bench's servers (test/survey-servers.test.ts).
export declare const SERVER_NAMES: string[];
export declare function which(cmd: string): string | undefined;
export declare function freePort(): Promise<number>;
export declare function sleep(ms: number): Promise<void>;
export declare function writePki(root: string): Promise<string>;
export declare function startServer(name: string, root: string): Promise<{ name: string; port: number; relayPort: number; count: () => number; stop: () => Promise<void> }>;
