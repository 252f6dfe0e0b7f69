// The browser tests' `incidents` section: two users paged through the "null"
// receiver, a daily rotation (alice on even days since 2024-01-01 09:00 UTC, bob on
// odd ones), and a "secondary" schedule whose override puts carol on call from an
// hour before the tests start for 30 days. P3's response time is 1 s so that an
// unacknowledged P3 shows a response-time breach at once.
export const ROTATION_START = Date.UTC(2024, 0, 1, 9, 0, 0);

export function incidentsConfig(now = Date.now()): string {
  const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  const from = rfc3339(now - 3600_000);
  const to = rfc3339(now + 30 * 86400_000);
  return `
incidents:
  severities:
    P1: {policy: primary}
    P2: {policy: primary}
    P3: {response_time: 1s}
  users:
    - {name: alice, receivers: ["null"]}
    - {name: bob, receivers: ["null"]}
    - {name: carol, receivers: ["null"]}
  schedules:
    - name: primary
      time_zone: UTC
      layers:
        - {rotation: daily, handoff: "09:00", start: 2024-01-01, users: [alice, bob]}
    - name: secondary
      time_zone: UTC
      layers:
        - {rotation: weekly, handoff: "Mon 09:00", start: 2024-01-01, users: [bob]}
      overrides:
        - {user: carol, start: "${from}", end: "${to}"}
  escalation_policies:
    - name: primary
      levels:
        - {notify: ["schedule:primary"], timeout: 1h}
        - {notify: [bob]}
`;
}
