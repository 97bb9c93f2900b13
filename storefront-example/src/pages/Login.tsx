import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { brandLogoUrl } from "../lib/brand";
import { useBrand, useSession, useViewer } from "../lib/context";
import { returnTo } from "../lib/returnTo";

const DEMO_LOGINS = [
  ["acme", "every right"],
  ["boss.acme", "orders, approves"],
  ["buyer.acme", "proposals only"],
  ["globex", "every right"],
];

export function Login() {
  const brand = useBrand();
  const session = useSession();
  const { me } = useViewer();
  const [, navigate] = useLocation();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me) {
    return (
      <div className="login-page">
        <div className="card login-card">
          <p>You are logged in as {me.fullName}.</p>
          <button className="btn btn-primary" onClick={() => navigate(returnTo.path)}>
            Continue
          </button>
        </div>
      </div>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const problem = await session.login(login.trim(), password);
      if (problem) setError(problem);
      else {
        const next = returnTo.path === "/login" ? "/" : returnTo.path;
        returnTo.path = "/";
        navigate(next, { replace: true });
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : "The shop cannot be reached.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <section className="login-hero">
        <img src={brandLogoUrl(brand)} alt="" width={56} height={56} />
        <h1>{brand.name}</h1>
        <p>{brand.tagline}</p>
        <ul>
          <li>Prices that update while you configure</li>
          <li>Orders, or proposals for your manager to approve</li>
          <li>Follow production live, job by job</li>
        </ul>
      </section>
      <form className="card login-card" onSubmit={submit}>
        <h2>Log in</h2>
        <label className="field">
          <span>Login</span>
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
        {brand.demoLogins && (
          <div className="demo-hint">
            <strong>Demo logins</strong> (password <code>demo-pass-123</code>)
            <div className="demo-logins">
              {DEMO_LOGINS.map(([l, what]) => (
                <button type="button" key={l} className="chip" onClick={() => setLogin(l)}>
                  {l} <small>{what}</small>
                </button>
              ))}
            </div>
          </div>
        )}
      </form>
    </div>
  );
}
