import type { GradingService } from "../grading.js";
import type { ReliabilityDeps } from "./middleware/index.js";
import type { Store } from "../store/types.js";

/** What every route can reach: the dependencies given to the app factory. */
export interface AppDeps extends ReliabilityDeps {
  grading: GradingService;
  store: Store;
  /** Serves the API reference UI's static files (swagger-ui-dist); absent where none are bundled. */
  docsAsset?: (file: string) => Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | null>;
}

export type AppEnv = { Variables: { deps: AppDeps } };
