import { JOB_STATUS_LABELS, ORDER_STATUS_LABELS } from "../lib/format";

export function StatusBadge({ status, kind = "order" }: { status: string; kind?: "order" | "job" | "task" }) {
  const labels = kind === "order" ? ORDER_STATUS_LABELS : JOB_STATUS_LABELS;
  const label = labels[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");
  return (
    <span className={`badge badge-${status.toLowerCase().replace(/_/g, "-")}`} data-status={status}>
      {label}
    </span>
  );
}
