import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EMBEDDED_DB_BINARY = path.join(ROOT, 'tools', 'embedded-mongo', 'bin', 'embedded-mongo');
