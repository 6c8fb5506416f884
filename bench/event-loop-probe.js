'use strict';
// Preloaded into the service by the attack drill (node --require): measures the service's own
// event-loop delay with perf_hooks and answers the drill over the IPC channel. Nothing of it is
// reachable over HTTP. 'reset' starts a measurement; 'read' answers {maxMs, p99Ms, meanMs}.
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
process.on('message', (message) => {
  if (message === 'reset') {
    histogram.reset();
    process.send('reset');
  } else if (message === 'read') {
    process.send({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6 });
  }
});
