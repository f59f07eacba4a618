export declare const MAX_FILE_LINES: number;
export declare const MAX_FUNCTION_LINES: number;
export declare const SRC: string;
export declare const ALLOW: string;
export declare function longFunctions(text: string, rel: string, max?: number): Array<{ id: string; lines: number }>;
export declare function oversized(src?: string): Array<{ id: string; lines: number }>;
