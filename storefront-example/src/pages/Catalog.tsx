import { useQuery } from "urql";
import { Link } from "wouter";
import { ProductArt } from "../components/ProductArt";
import { ProductsDocument } from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useT } from "../i18n";

export function Catalog() {
  const brand = useBrand();
  const { me } = useViewer();
  const fmt = useFormat();
  const t = useT();
  const [{ data, fetching, error }] = useQuery({
    query: ProductsDocument,
    variables: { channel: brand.channel },
  });

  return (
    <>
      <section className="hero">
        <div>
          <h1>{me ? t.welcomeBack(me.fullName.split(" ")[0]) : brand.name}</h1>
          <p>
            {brand.tagline} {t.catalogueIntro}
          </p>
        </div>
      </section>
      {error && <p className="error">{t.catalogueError(error.message)}</p>}
      {fetching && !data && <div className="loading">{t.catalogueLoading}</div>}
      <div className="grid products" data-testid="catalog">
        {data?.products.nodes.map((p) => (
          <Link
            key={p.id}
            href={p.kind === "LASER_PART" ? "/laser" : `/product/${p.code}`}
            className="card product-card"
            data-testid={`product-${p.code}`}
          >
            {p.imageUrls[0] ? <img className="product-art" src={p.imageUrls[0]} alt="" /> : <ProductArt code={p.code} kind={p.kind} />}
            <div className="product-body">
              <span className="kind">{t.kinds[p.kind] ?? p.kind}</span>
              <h3>{p.name}</h3>
              <p>{p.description}</p>
              <div className="product-foot">
                {p.fromPrice?.net ? (
                  <span className="from">
                    {t.from} <strong>{fmt.money(p.fromPrice.net)}</strong>
                  </span>
                ) : (
                  <span className="from muted">{p.kind === "LASER_PART" ? t.pricedByDrawing : t.priceOnRequest}</span>
                )}
                <span className="go">{p.kind === "LASER_PART" ? t.createPart : t.configure}</span>
              </div>
            </div>
          </Link>
        ))}
      </div>
    </>
  );
}
