export interface Node { local: string[]; lazy?: string[]; external: string[] }
export declare const LAYERS: string[];
export declare const PLACES: Record<string, string>;
export declare function placeOf(rel: string): string | undefined;
export declare function allowed(from: string, to: string): boolean;
export declare function specifiers(text: string, fileName?: string): string[];
export declare function specifiers(text: string, fileName: string, split: true): { static: string[]; lazy: string[] };
export declare function buildGraph(srcDir: string): Map<string, Node>;
export declare function violations(graph: Map<string, Node>): string[];
export declare function cycles(graph: Map<string, Node>): string[][];
export declare const BARRELS: Set<string>;
export declare function reexportShims(srcDir: string): string[];
