import { existsSync } from 'node:fs';
import { CORPUS as CORPUS_FOLDER } from '../helpers/paths.js';

/**
 * The shared corpus, which `npm run test:corpus` needs: its absence fails the run (CI has it beside the
 * checkout) rather than passing with nothing read. `npm test` never imports this.
 */
if (!existsSync(CORPUS_FOLDER))
  throw new Error(`npm run test:corpus needs the shared corpus at ${CORPUS_FOLDER} (real records captured by others; CI has it beside the checkout)`);

export const CORPUS = CORPUS_FOLDER;
