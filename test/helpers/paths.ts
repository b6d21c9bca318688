import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');
/** Real records captured by others; read at run time, never copied into the project. */
export const CORPUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');
