import { useState } from "react";
import { useMutation } from "urql";
import { OrderApproveDocument, OrderRejectDocument } from "../generated/graphql";
import { actedOn } from "../lib/live";
import { useToast } from "./Toasts";

/** Approve or reject a colleague's proposal. */
export function Decision({ orderId, number, onDone }: { orderId: string; number: string; onDone?: () => void }) {
  const notify = useToast();
  const [approving, approve] = useMutation(OrderApproveDocument);
  const [rejecting, reject] = useMutation(OrderRejectDocument);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [reason, setReason] = useState("");

  async function doApprove() {
    actedOn(orderId);
    const r = await approve({ id: orderId });
    const e = r.data?.orderApprove.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: `${number} not approved`, body: e.message, tone: "warning" });
    else notify({ title: `${number} approved`, body: "It is binding now and goes to production.", tone: "success" });
    onDone?.();
  }

  async function doReject() {
    actedOn(orderId);
    const r = await reject({ id: orderId, reason });
    const e = r.data?.orderReject.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: `${number} not rejected`, body: e.message, tone: "warning" });
    else notify({ title: `${number} rejected`, body: "The proposer is told.", tone: "info" });
    onDone?.();
  }

  if (rejectOpen) {
    return (
      <div className="decision">
        <input
          autoFocus
          placeholder="Why? The proposer will read this."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reject-reason"
        />
        <button className="btn btn-danger" disabled={!reason.trim() || rejecting.fetching} onClick={() => void doReject()} data-testid="reject-confirm">
          Reject
        </button>
        <button className="btn btn-ghost" onClick={() => setRejectOpen(false)}>
          Back
        </button>
      </div>
    );
  }
  return (
    <div className="decision">
      <button className="btn btn-primary" disabled={approving.fetching} onClick={() => void doApprove()} data-testid="approve">
        Approve
      </button>
      <button className="btn btn-ghost" onClick={() => setRejectOpen(true)} data-testid="reject">
        Reject…
      </button>
    </div>
  );
}
