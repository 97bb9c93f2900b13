import { useEffect, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { useToast } from "../components/Toasts";
import {
  AccountChangedDocument,
  CompanyAccountDocument,
  InvoiceIssuedDocument,
  MyInvoicesDocument,
  type DocumentDownloadFieldsFragment,
} from "../generated/graphql";
import { useBrand, useSession, useViewer } from "../lib/context";
import { apiFileUrl, downloadWithToken } from "../lib/download";
import { useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";
import { useT } from "../i18n";

/** Invoices and credit notes of the company with their PDFs, and the account: what is open,
 *  what was paid, the prepaid balance. Needs VIEW_FINANCES (the API answers nothing without). */
export function Invoices() {
  const { can } = useViewer();
  const t = useT();
  if (!can("VIEW_FINANCES")) return <div className="empty">{t.financesNeedRight}</div>;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.navInvoices}</h1>
          <p className="muted">{t.invoicesIntro}</p>
        </div>
      </div>
      <Account />
      <InvoiceList />
    </>
  );
}

function Account() {
  const t = useT();
  const fmt = useFormat();
  const [account, refetch] = useQuery({ query: CompanyAccountDocument, requestPolicy: "network-only" });
  const [changed] = useSubscription({ query: AccountChangedDocument, variables: {} });
  const eventId = changed.data?.accountChanged.eventId;
  useEffect(() => {
    if (eventId) refetch({ requestPolicy: "network-only" });
  }, [eventId, refetch]);
  useRefetchOnOrderEvents(refetch); // a placed or released order changes what is open
  const a = account.data?.companyAccount;
  if (!a) return null;
  const figures: [string, string, string][] = [
    ["owed", t.accountOwed, fmt.money(a.owed)],
    ["open-invoices", t.accountOpenInvoices, fmt.money(a.openInvoices)],
    ["overdue", t.accountOverdue(a.overdueInvoices), fmt.money(a.overdue)],
    ["paid", t.accountPaid, fmt.money(a.paid)],
    ["prepaid", t.accountPrepaid, fmt.money(a.prepaidBalance)],
    ["credit-limit", t.accountCreditLimit, a.creditLimit ? fmt.money(a.creditLimit) : t.noCreditLimit],
  ];
  return (
    <section className="account-figures" data-testid="account" aria-label={t.accountTitle}>
      {figures.map(([key, label, value]) => (
        <div key={key} className="card figure" data-testid={`account-${key}`}>
          <small>{label}</small>
          <strong>{value}</strong>
        </div>
      ))}
    </section>
  );
}

function InvoiceList() {
  const t = useT();
  const fmt = useFormat();
  const [invoices, refetch] = useQuery({ query: MyInvoicesDocument, variables: { first: 50 }, requestPolicy: "cache-and-network" });
  const [issued] = useSubscription({ query: InvoiceIssuedDocument, variables: {} });
  const eventId = issued.data?.invoiceIssued.eventId;
  useEffect(() => {
    if (eventId) refetch({ requestPolicy: "network-only" });
  }, [eventId, refetch]);
  useRefetchOnOrderEvents(refetch); // a delivered order may have just been invoiced
  const rows = invoices.data?.invoices.nodes ?? [];
  if (invoices.error && !invoices.data) return <div className="empty card">{invoices.error.message}</div>;
  if (rows.length === 0) return invoices.fetching ? <div className="loading">{t.loading}</div> : <div className="empty card">{t.noInvoices}</div>;
  return (
    <div className="card table-card">
      <table className="orders invoices" data-testid="invoices">
        <thead>
          <tr>
            <th>{t.colInvoice}</th>
            <th>{t.colIssued}</th>
            <th>{t.colDue}</th>
            <th>{t.colOrders}</th>
            <th>{t.colStatus}</th>
            <th className="num">{t.colTotal}</th>
            <th className="num">{t.colOpen}</th>
            <th>{t.colDocuments}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((inv) => (
            <tr key={inv.id} data-testid="invoice" data-number={inv.number} data-status={inv.paymentStatus}>
              <td>
                <strong className="order-number">{inv.number}</strong>
                {inv.periodStart && inv.periodEnd && (
                  <small className="muted block">{t.collectiveInvoice(fmt.date(inv.periodStart), fmt.date(inv.periodEnd))}</small>
                )}
                {inv.vatNote && <small className="muted block">{inv.vatNote}</small>}
                {inv.creditNotes.map((cn) => (
                  <small key={cn.id} className="block credit-note" data-testid="credit-note">
                    {t.creditNote(cn.number, fmt.money(cn.grossTotal))}
                    {cn.reason && <> · {cn.reason}</>} · <DocumentLinks number={cn.number} paths={cn.downloadPaths} />
                  </small>
                ))}
              </td>
              <td>{fmt.date(inv.issueDate)}</td>
              <td>{fmt.date(inv.paymentDueDate)}</td>
              <td>{inv.orderNumbers.join(", ")}</td>
              <td>
                <span className={`badge badge-invoice-${inv.paymentStatus.toLowerCase()}`} data-testid="invoice-status">
                  {t.invoiceStatus[inv.paymentStatus] ?? inv.paymentStatus}
                </span>
              </td>
              <td className="num" data-testid="invoice-gross">{fmt.money(inv.grossTotal)}</td>
              <td className="num" data-testid="invoice-open">{fmt.money(inv.openAmount)}</td>
              <td>
                <DocumentLinks number={inv.number} paths={inv.downloadPaths} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The PDF (Factur-X, with the e-invoice inside) and the UBL e-invoice, fetched with the token. */
function DocumentLinks({ number, paths }: { number: string; paths: DocumentDownloadFieldsFragment }) {
  const brand = useBrand();
  const session = useSession();
  const notify = useToast();
  const t = useT();
  const [busy, setBusy] = useState(false);
  async function get(path: string, fileName: string) {
    setBusy(true);
    try {
      await downloadWithToken(session, apiFileUrl(brand, path), fileName);
    } catch (error) {
      notify({ title: t.downloadFailed, body: `${number}: ${(error as Error).message}`, tone: "warning" });
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="doc-links">
      <button
        type="button"
        className="link-btn"
        data-testid="document-pdf"
        data-href={paths.pdf}
        disabled={busy}
        onClick={() => void get(paths.pdf, `${number}.pdf`)}
      >
        {t.downloadPdf}
      </button>
      {" · "}
      <button
        type="button"
        className="link-btn"
        data-testid="document-ubl"
        disabled={busy}
        onClick={() => void get(paths.ubl, `${number}.ubl.xml`)}
      >
        {t.downloadUbl}
      </button>
    </span>
  );
}
