import { useEffect, useMemo, type ReactNode } from "react";
import { useQuery, useSubscription } from "urql";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import {
  CartDocument,
  JobStatusChangedDocument,
  MeDocument,
  OrderStatusChangedDocument,
  OrdersDocument,
} from "./generated/graphql";
import { brandLogoUrl } from "./lib/brand";
import { CART_CONTEXT, ORDER_CONTEXT, ViewerContext, useBrand, useSession, useViewer, type Right, type ViewerInfo } from "./lib/context";
import { useCartRefresh } from "./lib/cart";
import { orderIdFromPath } from "./lib/orderPath";
import { useT } from "./i18n";
import { isQuiet, liveStatus, orderEvents, useStore } from "./lib/live";
import { useToast } from "./components/Toasts";
import { Approvals } from "./pages/Approvals";
import { CartPage } from "./pages/Cart";
import { Catalog } from "./pages/Catalog";
import { Configurator } from "./pages/Configurator";
import { LaserPage } from "./pages/Laser";
import { Login } from "./pages/Login";
import { OrderDetail } from "./pages/OrderDetail";
import { Orders } from "./pages/Orders";
import { PartsLibrary } from "./pages/Parts";
import { Quotes } from "./pages/Quotes";
import { Invoices } from "./pages/Invoices";
import { PayPage } from "./pages/Pay";
import { returnTo } from "./lib/returnTo";

export function Shell() {
  const session = useSession();
  const t = useT();
  const loggedIn = session.current !== null;
  const [me, refetchMe] = useQuery({ query: MeDocument, pause: !loggedIn });
  const viewer = useMemo<ViewerInfo>(() => {
    const user = loggedIn ? (me.data?.me ?? null) : null;
    const rights = new Set<string>(user?.__typename === "PortalUser" ? user.rights : []);
    const can = (r: Right) => rights.has(r);
    return {
      me: user,
      loading: loggedIn && me.fetching && !me.data,
      can,
      mayOrder: can("PLACE_ORDERS") || can("REQUEST_ORDERS"),
      ordersAreBinding: can("PLACE_ORDERS"),
      refetch: () => refetchMe({ requestPolicy: "network-only" }),
    };
  }, [loggedIn, me.data, me.fetching, refetchMe]);

  return (
    <ViewerContext.Provider value={viewer}>
      <Header />
      {viewer.me?.__typename === "PortalUser" && <LiveOrderFeed />}
      <main className="page">
        {viewer.loading ? (
          <div className="loading">{t.loading}</div>
        ) : (
          <Switch>
            <Route path="/login" component={Login} />
            <Route path="/" component={Catalog} />
            <Route path="/product/:code" component={Configurator} />
            <Route path="/laser">{() => <RequireLogin><LaserPage /></RequireLogin>}</Route>
            <Route path="/parts">{() => <RequireLogin><PartsLibrary /></RequireLogin>}</Route>
            <Route path="/cart">{() => <RequireLogin><CartPage /></RequireLogin>}</Route>
            <Route path="/orders">{() => <RequireLogin><Orders /></RequireLogin>}</Route>
            <Route path="/orders/:id/pay">{(p) => <RequireLogin><PayPage id={p.id} /></RequireLogin>}</Route>
            <Route path="/orders/:id">{(p) => <RequireLogin><OrderDetail id={p.id} /></RequireLogin>}</Route>
            <Route path="/quotes">{() => <RequireLogin><Quotes /></RequireLogin>}</Route>
            <Route path="/invoices">{() => <RequireLogin><Invoices /></RequireLogin>}</Route>
            <Route path="/approvals">{() => <RequireLogin><Approvals /></RequireLogin>}</Route>
            <Route>
              <div className="empty">{t.notFound} <Link href="/">{t.backToCatalogue}</Link></div>
            </Route>
          </Switch>
        )}
      </main>
      <Footer />
    </ViewerContext.Provider>
  );
}

function RequireLogin({ children }: { children: ReactNode }) {
  const { me } = useViewer();
  const [location] = useLocation();
  if (!me) {
    // Not in the hash: wouter's hash navigation would move a `?` into the real query string,
    // where `?brand=` lives.
    returnTo.path = location;
    return <Redirect to="/login" />;
  }
  return <>{children}</>;
}

function Header() {
  const brand = useBrand();
  const session = useSession();
  const { me, can, mayOrder } = useViewer();
  const t = useT();
  const live = useStore(liveStatus);
  const portal = me?.__typename === "PortalUser" ? me : null;
  const [cart, refetchCart] = useQuery({ query: CartDocument, pause: !portal || !mayOrder, context: CART_CONTEXT });
  useCartRefresh(refetchCart, !!portal && mayOrder);
  const ticks = useStore(orderEvents);
  const [pending, refetchPending] = useQuery({
    query: OrdersDocument,
    variables: { filter: { statuses: ["PENDING_APPROVAL"] }, first: 1 },
    pause: !portal || !can("APPROVE_ORDERS"),
    context: ORDER_CONTEXT,
  });
  useEffect(() => {
    if (ticks) refetchPending({ requestPolicy: "network-only" });
  }, [ticks, refetchPending]);
  const cartCount = cart.data?.cart.length ?? 0;
  const pendingCount = pending.data?.orders.totalCount ?? 0;

  return (
    <header className="header">
      <div className="header-inner">
        <Link href="/" className="brand">
          <img src={brandLogoUrl(brand)} alt="" width={36} height={36} />
          <span>
            <strong>{brand.name}</strong>
            <small>{brand.tagline}</small>
          </span>
        </Link>
        <nav className="nav" aria-label={t.navLabel}>
          <NavLink href="/">{t.navCatalogue}</NavLink>
          {portal && <NavLink href="/laser">{t.navLaser}</NavLink>}
          {portal && <NavLink href="/parts">{t.navParts}</NavLink>}
          {portal && <NavLink href="/orders">{t.navOrders}</NavLink>}
          {portal && <NavLink href="/quotes">{t.navQuotes}</NavLink>}
          {portal && can("VIEW_FINANCES") && <NavLink href="/invoices">{t.navInvoices}</NavLink>}
          {portal && can("APPROVE_ORDERS") && (
            <NavLink href="/approvals">
              {t.navApprovals} {pendingCount > 0 && <span className="count" data-testid="pending-count">{pendingCount}</span>}
            </NavLink>
          )}
        </nav>
        <div className="header-end">
          {me && (
            <span className={`live live-${live}`} title={t.liveTitle(t.live[live])}>
              <i /> {t.live[live]}
            </span>
          )}
          {portal && mayOrder && (
            <Link href="/cart" className="cart-link" aria-label={t.cartWithCount(cartCount)} data-testid="cart-link" data-count={cartCount}>
              <CartIcon /> {t.cart}{" "}
              {cartCount > 0 && (
                <span className="count" data-testid="cart-count">
                  {cartCount}
                </span>
              )}
            </Link>
          )}
          {me ? (
            <div className="user">
              <span className="user-name">
                <strong data-testid="user-name">{me.fullName}</strong>
                <small>{portal ? portal.company.name : t.staff(me.__typename === "StaffUser" ? me.role : "")}</small>
              </span>
              <button className="btn btn-ghost btn-small" onClick={() => void session.logout()}>
                {t.logOut}
              </button>
            </div>
          ) : (
            <Link href="/login" className="btn btn-primary btn-small">
              {t.logIn}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const active = href === "/" ? location === "/" || location.startsWith("/product") : location.startsWith(href);
  return (
    <Link href={href} className={active ? "active" : ""}>
      {children}
    </Link>
  );
}

/** Order and job status changes of the viewer's orders: a toast, and order pages refetch. */
function LiveOrderFeed() {
  const notify = useToast();
  const t = useT();
  const [location] = useLocation();
  // No toast for what the viewer did or is looking at: the page shows it already.
  const onPage = location.startsWith("/orders/") ? orderIdFromPath(location.slice("/orders/".length)) : null;
  const shown = (orderId: string | undefined) => !!orderId && (isQuiet(orderId) || onPage === orderId);
  const [orders] = useSubscription({ query: OrderStatusChangedDocument, variables: {} });
  const [jobs] = useSubscription({ query: JobStatusChangedDocument, variables: {} });
  useEffect(() => {
    const e = orders.data?.orderStatusChanged;
    if (!e) return;
    orderEvents.set(orderEvents.get() + 1);
    if (shown(e.order?.id)) return;
    // One toast per order: the next event of the same order replaces it.
    notify({
      title: t.toastOrder(e.order?.number ?? ""),
      body: t.orderStatus[e.status] ?? e.status,
      tone: e.status === "REJECTED" || e.status === "CANCELLED" ? "warning" : "success",
      group: e.order?.id,
    });
  }, [orders.data, notify]);
  useEffect(() => {
    const e = jobs.data?.jobStatusChanged;
    if (!e) return;
    orderEvents.set(orderEvents.get() + 1);
    if (e.status === "WAITING" || shown(e.job?.order?.id)) return; // a new job: the order event said so
    const order = e.job?.order;
    notify({
      title: t.toastOrder(order?.number ?? ""),
      body: t.toastJob(e.job?.number ?? "", t.jobStatus[e.status] ?? e.status),
      group: order?.id,
    });
  }, [jobs.data, notify]);
  return null;
}

function Footer() {
  const brand = useBrand();
  const t = useT();
  return (
    <footer className="footer">
      <span>
        © {brand.name} · {t.footerChannel} <code>{brand.channel}</code>
      </span>
      <span>{t.footerRunsOn}</span>
    </footer>
  );
}

function CartIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="10" cy="20" r="1.4" />
      <circle cx="17" cy="20" r="1.4" />
    </svg>
  );
}
