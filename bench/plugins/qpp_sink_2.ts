/**
 * Bench-only fan-out consumer number 2 (see `_qpp_sink.ts`).
 *
 * @module
 */

import { sinkPlugin } from "./_qpp_sink.ts";

/** The `qpp_sink_2` plugin definition. */
export default sinkPlugin("qpp_sink_2");
