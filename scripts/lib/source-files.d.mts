export declare function sourceFiles(dir: string, out?: string[]): string[];
