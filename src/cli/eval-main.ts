/** Stand-alone entry for `npm run eval -- GOLD.jsonl [--offline] [--json]`. */
import { evalCommand } from "./eval.js";

process.exitCode = await evalCommand(process.argv.slice(2));
