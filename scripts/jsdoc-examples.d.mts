export declare const DIRS: string[];
export declare const SRC: string;
export declare const BASELINE: string;
export declare function exportsOf(text: string, rel: string): Array<{ id: string; example: boolean }>;
export declare function missingExamples(src?: string): string[];
