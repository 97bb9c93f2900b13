import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { brandLogoUrl } from "../lib/brand";
import { useBrand, useSession, useViewer } from "../lib/context";
import { returnTo } from "../lib/returnTo";
import { useT } from "../i18n";

/** The demo data's users (`pressroom seed-demo`) and what each may do. */
const DEMO_LOGINS = [
  ["acme", "every"],
  ["boss.acme", "boss"],
  ["buyer.acme", "buyer"],
  ["globex", "every"],
];
/** Every demo user's password. A chip fills it in only in development builds (`npm run dev`);
 *  a production build never carries it in a form, only in the hint text of a demo brand. */
const DEMO_PASSWORD = "demo-pass-123";
const FILL_DEMO_PASSWORD = import.meta.env.DEV;

export function Login() {
  const brand = useBrand();
  const session = useSession();
  const { me } = useViewer();
  const [, navigate] = useLocation();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();

  if (me) {
    return (
      <div className="login-page">
        <div className="card login-card">
          <p>{t.loggedInAs(me.fullName)}</p>
          <button className="btn btn-primary" onClick={() => navigate(returnTo.path)}>
            {t.continue}
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
      setError(e instanceof Error ? e.message : t.cannotReach);
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
          {t.heroPoints.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      </section>
      <form className="card login-card" onSubmit={submit}>
        <h2>{t.logIn}</h2>
        <label className="field">
          <span>{t.login}</span>
          <input name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus />
        </label>
        <label className="field">
          <span>{t.password}</span>
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
          {busy ? t.loggingIn : t.logIn}
        </button>
        {brand.demoLogins && (
          <div className="demo-hint">
            <strong>{t.demoLogins}</strong> ({t.demoPassword} <code>{DEMO_PASSWORD}</code>)
            <div className="demo-logins">
              {DEMO_LOGINS.map(([l, what]) => (
                <button
                  type="button"
                  key={l}
                  className="chip"
                  data-testid="demo-login"
                  onClick={() => {
                    setLogin(l);
                    if (FILL_DEMO_PASSWORD) setPassword(DEMO_PASSWORD);
                  }}
                >
                  {l} <small>{t.demoRoles[what]}</small>
                </button>
              ))}
            </div>
          </div>
        )}
      </form>
    </div>
  );
}
