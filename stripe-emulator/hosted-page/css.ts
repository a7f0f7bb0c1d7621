/** Styles for the hosted page: inline only, no fonts or images from elsewhere. */
export const CHECKOUT_CSS = `
:root{--ink:#1a1f36;--muted:#697386;--line:#e3e8ee;--accent:#635bff;--accent-dark:#4b44d6;--bg:#f6f9fc;--danger:#b3093c;
--focus:0 0 0 3px rgba(99,91,255,.45);font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink)}
*{box-sizing:border-box}
body{margin:0;background:#fff;line-height:1.45}
a{color:var(--accent-dark)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:none;box-shadow:var(--focus);border-radius:6px}
.skip{position:absolute;left:-999px}.skip:focus{left:12px;top:12px;background:#fff;padding:8px 12px;z-index:2}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.layout{display:grid;grid-template-columns:minmax(0,1fr);min-height:100vh}
@media (min-width:900px){.layout{grid-template-columns:repeat(2,minmax(0,1fr))}.summary{padding:64px 56px 64px max(56px,calc(50vw - 440px))!important}
.pay{padding:64px max(56px,calc(50vw - 440px)) 64px 56px!important;box-shadow:-1px 0 0 var(--line)}}
.summary{background:var(--bg);padding:32px 24px}
.pay{padding:32px 24px}
.top{display:flex;align-items:center;gap:12px;margin-bottom:28px}
.back{text-decoration:none;font-weight:500;color:var(--muted)}.back:hover{color:var(--ink)}
.badge{background:#ffde92;color:#983705;font-size:12px;font-weight:600;text-transform:uppercase;padding:2px 8px;border-radius:4px;letter-spacing:.02em}
.merchant{margin:0;color:var(--muted);font-weight:500}
.amount{font-size:36px;font-weight:600;margin:4px 0 28px;letter-spacing:-.02em}
.items{list-style:none;margin:0;padding:0}
.item{display:grid;grid-template-columns:auto minmax(0,1fr) auto;gap:12px 16px;align-items:start;padding:12px 0}
.thumb{display:block;width:42px;height:42px;border-radius:6px;object-fit:cover;background:#fff;border:1px solid var(--line)}
.thumb.initial{display:flex;align-items:center;justify-content:center;background:#e3e8ee;border-color:transparent;color:var(--muted);font-weight:600}
.item-name{font-weight:500;margin:0;overflow-wrap:anywhere}
.item-meta{color:var(--muted);font-size:14px;margin:2px 0 0}
.item-total{font-weight:500;white-space:nowrap}
.totals{margin:20px 0 0;border-top:1px solid var(--line)}
.totals div{display:flex;justify-content:space-between;padding:12px 0}
.totals dt{margin:0}.totals dd{margin:0;font-weight:500}
.totals .grand{border-top:1px solid var(--line);font-weight:600}
h2{font-size:18px;margin:0 0 12px}
label,.label{display:block;font-size:14px;font-weight:500;color:#3c4257;margin:16px 0 6px}
input[type=email],input[type=text]{width:100%;font:inherit;font-size:16px;padding:10px 12px;border:1px solid #cfd7df;border-radius:6px;
box-shadow:0 1px 1px rgba(0,0,0,.03);background:#fff;color:var(--ink)}
input[aria-invalid=true]{border-color:var(--danger)}
.row{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 12px;align-items:start}
.cell{min-width:0}
.field-error{color:var(--danger);font-size:13px;margin:6px 0 0}
.alert:empty{display:none}
.alert{border:1px solid #f4c7d3;background:#fff5f7;color:var(--danger);padding:12px 14px;border-radius:6px;margin:0 0 16px}
.alert ul{margin:6px 0 0 18px;padding:0}
fieldset{border:0;padding:0;margin:24px 0 0}
legend{font-size:18px;font-weight:600;padding:0;margin:0 0 12px}
.tabs{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px}
.tab{position:relative}
.tab input{position:absolute;opacity:0;inset:0;margin:0}
.tab label{margin:0;border:1px solid #cfd7df;border-radius:6px;padding:12px 14px;cursor:pointer;font-weight:600;color:var(--ink)}
.tab input:checked+label{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent);color:var(--accent-dark)}
.tab input:focus-visible+label{box-shadow:var(--focus)}
.panel{margin-top:8px}
@supports selector(:has(*)){.panel{display:none}
form:has(#method-card:checked) .panel-card,form:has(#method-sepa_debit:checked) .panel-sepa_debit{display:block}}
.panel h3{font-size:15px;margin:16px 0 0;color:var(--muted);font-weight:500}
.mandate{font-size:13px;color:var(--muted);margin:12px 0 0}
.pay-button{margin-top:28px;width:100%;font:inherit;font-size:17px;font-weight:600;padding:13px;border:0;border-radius:6px;
background:var(--accent);color:#fff;cursor:pointer}
.pay-button:hover{background:var(--accent-dark)}
.test-data{margin-top:28px;font-size:14px;color:var(--muted)}
.test-data table{border-collapse:collapse;margin-top:8px;width:100%}
.test-data th,.test-data td{text-align:left;padding:4px 8px 4px 0;border-bottom:1px solid var(--line)}
.test-data code{color:var(--ink);font-size:13px}
.status{max-width:520px;margin:12vh auto;padding:32px 24px;text-align:center}
.status h1{font-size:26px;margin:0 0 8px}
.status p{color:var(--muted)}
`;
