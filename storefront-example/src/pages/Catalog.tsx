import { useQuery } from "urql";
import { Link } from "wouter";
import { ProductArt } from "../components/ProductArt";
import { ProductsDocument } from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";

const KIND_LABELS: Record<string, string> = {
  PRINT: "Print",
  LASER_PART: "Laser cutting",
  SERVICE: "Service",
  STOCK_ITEM: "Stock item",
};

export function Catalog() {
  const brand = useBrand();
  const { me } = useViewer();
  const fmt = useFormat();
  const [{ data, fetching, error }] = useQuery({
    query: ProductsDocument,
    variables: { channel: brand.channel },
  });

  return (
    <>
      <section className="hero">
        <div>
          <h1>{me ? `Welcome back, ${me.fullName.split(" ")[0]}` : brand.name}</h1>
          <p>{brand.tagline} Configure a product and watch its price follow every choice.</p>
        </div>
      </section>
      {error && <p className="error">The catalogue cannot be loaded: {error.message}</p>}
      {fetching && !data && <div className="loading">Loading the catalogue…</div>}
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
              <span className="kind">{KIND_LABELS[p.kind] ?? p.kind}</span>
              <h3>{p.name}</h3>
              <p>{p.description}</p>
              <div className="product-foot">
                {p.fromPrice?.net ? (
                  <span className="from">
                    from <strong>{fmt.money(p.fromPrice.net)}</strong>
                  </span>
                ) : (
                  <span className="from muted">{p.kind === "LASER_PART" ? "Priced by drawing" : "Price on request"}</span>
                )}
                <span className="go">{p.kind === "LASER_PART" ? "Create a part →" : "Configure →"}</span>
              </div>
            </div>
          </Link>
        ))}
      </div>
    </>
  );
}
