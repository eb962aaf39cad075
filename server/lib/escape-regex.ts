/** Text to match literally inside a regular expression (a `$regex` built from what someone typed). */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
