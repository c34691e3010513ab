export declare const ALIASES: Record<string, string>
export declare const viteAliases: { find: string; replacement: string }[]
