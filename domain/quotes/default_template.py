"""The built-in quote document and e-mail (Jinja2, sandboxed); a shop replaces them per
channel with `quoteTemplateUpdate`."""

MAIL_SUBJECT = "Quote {{ quote.number }} (revision {{ quote.revision }}) from {{ shop.name }}"

MAIL_BODY = """Hello {{ company.contact_name or company.name }},

please find our quote {{ quote.number }} (revision {{ quote.revision }}) attached.
{% if quote.title %}
{{ quote.title }}
{% endif %}
Total: {{ totals.gross }} incl. VAT ({{ totals.net }} net).
The offer is valid until {{ quote.valid_until }}.

You can accept or decline it in your customer portal.

Kind regards
{{ shop.name }}
"""

DOCUMENT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quote {{ quote.number }}</title></head>
<body>
<header>
  <div class="logo">{{ shop.name }}</div>
  <div class="sender">{{ shop.name }} · {{ shop.address }}</div>
</header>
<section class="addresses">
  <div class="to">
    <strong>{{ company.name }}</strong><br>
    {% if address %}{{ address.street }}<br>{{ address.postal_code }} {{ address.city }}<br>
    {{ address.country }}{% endif %}
  </div>
  <table class="facts">
    <tr><th>Quote</th><td>{{ quote.number }}</td></tr>
    <tr><th>Revision</th><td>{{ quote.revision }}</td></tr>
    <tr><th>Date</th><td>{{ quote.date }}</td></tr>
    <tr><th>Valid until</th><td>{{ quote.valid_until }}</td></tr>
    {% if quote.customer_reference %}
    <tr><th>Your reference</th><td>{{ quote.customer_reference }}</td></tr>{% endif %}
  </table>
</section>
<h1>Quote {{ quote.number }}{% if quote.title %}: {{ quote.title }}{% endif %}</h1>
<table class="lines">
  <thead><tr><th>Pos.</th><th>Description</th><th class="num">Qty</th>
  <th class="num">VAT</th><th class="num">Net</th></tr></thead>
  <tbody>
  {% for line in lines %}
  <tr><td>{{ line.position }}</td>
      <td><strong>{{ line.title }}</strong>{% if line.description %}<br>
      <small>{{ line.description }}</small>{% endif %}</td>
      <td class="num">{{ line.quantity }}</td><td class="num">{{ line.vat_rate }} %</td>
      <td class="num">{{ line.net }}</td></tr>
  {% endfor %}
  </tbody>
</table>
<table class="totals">
  <tr><th>Net total</th><td>{{ totals.net }}</td></tr>
  <tr><th>VAT</th><td>{{ totals.vat }}</td></tr>
  <tr class="gross"><th>Total</th><td>{{ totals.gross }}</td></tr>
</table>
<section class="terms"><h2>Terms</h2><p>{{ quote.terms or shop.terms }}</p></section>
</body></html>
"""

DOCUMENT_CSS = """@page { size: A4; margin: 20mm 18mm; }
body { font-family: sans-serif; font-size: 10pt; color: #222; }
header { border-bottom: 2px solid #1d4ed8; padding-bottom: 4mm; margin-bottom: 8mm; }
.logo { font-size: 18pt; font-weight: bold; color: #1d4ed8; }
.sender { font-size: 8pt; color: #666; }
.addresses { display: flex; justify-content: space-between; margin-bottom: 8mm; }
h1 { font-size: 14pt; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines th, table.lines td { border-bottom: 1px solid #ddd; padding: 2mm; text-align: left; }
.num { text-align: right !important; }
table.totals { margin-left: auto; margin-top: 6mm; }
table.totals th { text-align: left; padding-right: 8mm; }
table.totals td { text-align: right; }
tr.gross { font-weight: bold; }
.terms { margin-top: 10mm; font-size: 8pt; color: #444; }
"""
