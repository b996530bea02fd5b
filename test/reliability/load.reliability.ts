/** The load figures (bench/load.ts) as part of npm run test:reliability; bounded: about 60 s. */
import { describe, expect, it } from "vitest";
import { formatResults, runLoad } from "../../bench/load.js";

describe("load: 200 concurrent clients for 30 s against grading, mock model at 200 ms", () => {
  it("serves every request without errors; sheds excess with 503 under default limits; memory bounded", async () => {
    const results = await runLoad({ durationS: 30, overheadDurationS: 10, shedDurationS: 5 });
    console.log(`\n[load]\n${formatResults(results)}`);
    const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;
    for (const r of [byName("overhead @8"), byName("overhead @64"), byName("load @200")]) {
      expect(r.errors, r.name).toBe(0);
      expect(r.timeouts, r.name).toBe(0);
      expect(r.non2xx, r.name).toBe(0);
      expect(r.requests, r.name).toBeGreaterThan(0);
    }
    const shed = byName("shed");
    expect(shed.errors + shed.timeouts).toBe(0);
    expect(shed.ok + shed.status503).toBe(shed.requests);
    expect(shed.peakRssMb).toBeLessThan(1024);
    expect(byName("load @200").peakRssMb).toBeLessThan(1024);
  }, 180_000);
});
