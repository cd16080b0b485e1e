// Node 12 (FC 2.0's newest runtime) has no `diagnostics_channel`. pino only publishes to a tracing
// channel when someone subscribes, and on Node 12 nobody can: a channel without subscribers is all
// it needs. The FC build maps `diagnostics_channel` here.
export function tracingChannel() {
  return { hasSubscribers: false };
}
