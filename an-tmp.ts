import { analyze } from "./src/core/analyze.js";
import { SAMPLE_ANSWER } from "./test/support/app.js";
let i = 0;
const t0 = performance.now();
while (performance.now() - t0 < 6000) analyze(`${SAMPLE_ANSWER} Run ${i++}.`);
console.log(i);
