import { useT } from "../i18n";

export function StatusBadge({ status, kind = "order" }: { status: string; kind?: "order" | "job" | "task" }) {
  const t = useT();
  const labels = kind === "order" ? t.orderStatus : t.jobStatus;
  const label = labels[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");
  return (
    <span className={`badge badge-${status.toLowerCase().replace(/_/g, "-")}`} data-status={status}>
      {label}
    </span>
  );
}
