import { useState } from "react";
import { useMutation } from "urql";
import { OrderApproveDocument, OrderRejectDocument } from "../generated/graphql";
import { actedOn } from "../lib/live";
import { useToast } from "./Toasts";
import { useT } from "../i18n";

/** Approve or reject a colleague's proposal. */
export function Decision({ orderId, number, onDone }: { orderId: string; number: string; onDone?: () => void }) {
  const notify = useToast();
  const t = useT();
  const [approving, approve] = useMutation(OrderApproveDocument);
  const [rejecting, reject] = useMutation(OrderRejectDocument);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [reason, setReason] = useState("");

  async function doApprove() {
    actedOn(orderId);
    const r = await approve({ id: orderId });
    const e = r.data?.orderApprove.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: t.notApproved(number), body: e.message, tone: "warning", group: orderId });
    else notify({ title: t.approved(number), body: t.approvedBody, tone: "success", group: orderId });
    onDone?.();
  }

  async function doReject() {
    actedOn(orderId);
    const r = await reject({ id: orderId, reason });
    const e = r.data?.orderReject.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: t.notRejected(number), body: e.message, tone: "warning", group: orderId });
    else notify({ title: t.rejected(number), body: t.rejectedBody, tone: "info", group: orderId });
    onDone?.();
  }

  if (rejectOpen) {
    return (
      <div className="decision">
        <input
          autoFocus
          placeholder={t.whyReject}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reject-reason"
        />
        <button className="btn btn-danger" disabled={!reason.trim() || rejecting.fetching} onClick={() => void doReject()} data-testid="reject-confirm">
          {t.reject}
        </button>
        <button className="btn btn-ghost" onClick={() => setRejectOpen(false)}>
          {t.back}
        </button>
      </div>
    );
  }
  return (
    <div className="decision">
      <button className="btn btn-primary" disabled={approving.fetching} onClick={() => void doApprove()} data-testid="approve">
        {t.approve}
      </button>
      <button className="btn btn-ghost" onClick={() => setRejectOpen(true)} data-testid="reject">
        {t.rejectDots}
      </button>
    </div>
  );
}
