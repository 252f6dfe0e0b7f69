// Series colours, in order (charts, legends, gauges, bars). Its own module so that the
// browser tests can tell drawn series from grid lines without loading uPlot.
export const PALETTE = [
  "#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6",
  "#06b6d4", "#ec4899", "#84cc16", "#f97316", "#6366f1",
];
