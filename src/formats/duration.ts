// Recording lengths as people say them: "10 s", "2.5 min", "24 h" (shared by the readers and the UI).
export function formatDuration(s: number): string {
  if (s < 120) return `${Math.round(s * 10) / 10} s`;
  if (s < 7200) return `${Math.round((s / 60) * 10) / 10} min`;
  return `${Math.round((s / 3600) * 10) / 10} h`;
}
