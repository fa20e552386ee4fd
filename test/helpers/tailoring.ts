import JSZip from 'jszip';

/**
 * A backend job description and a résumé to tailor a loop to, and résumé files made from text:
 * a PDF written byte by byte (one page, Helvetica, a line per text line) and a DOCX (a zip with
 * the three parts Word needs), so the tests need no fixture files.
 */

export const BACKEND_JOB = `Senior Backend Engineer, Orders Platform

We are looking for an engineer who takes ownership of large-scale distributed systems end to end.
You will design databases and data models for services that scale to millions of requests per second,
own them in production (on-call included), and dive deep into latency and throughput problems to find
the root cause. You will tune SQL and NoSQL databases (PostgreSQL, DynamoDB), design schemas and indexes,
and shard data as we scale. We expect you to dive deep into metrics, debug hard problems and own
the long-term health of your systems.

Basic qualifications: 5+ years building backend services at scale; deep knowledge of databases,
query tuning and replication; experience scaling systems with high throughput and low latency.`;

export const RESUME = `Jane Doe
jane@example.com

Summary
Backend engineer who likes hard data problems.

Experience
Acme Retail — Senior Software Engineer (2020 – present)
- Led the migration of the orders database from MySQL to DynamoDB, cutting p99 latency from 800 ms to 120 ms
- Built a sharded order history service serving 2 million customers
- Mentored 3 engineers

Projects
Ledgerline — double-entry ledger in Go and PostgreSQL
- Designed the ledger schema and wrote the reconciliation job that processes 40,000 transactions per minute
- Reduced reconciliation time by 65% with partitioned tables

Education
BSc Computer Science, 2014`;

/** The name of the project the résumé question should be about (from the Projects section). */
export const RESUME_PROJECT = 'Ledgerline';

/** A one-page PDF with each line of `text` on its own line (ASCII; brackets and backslashes escaped). */
export function pdfOf(text: string, options: { encrypted?: boolean } = {}): Uint8Array {
  const lines = text.split('\n').map((l) => l.replace(/[^\x20-\x7e]/g, '-').replace(/[()\\]/g, (m) => `\\${m}`));
  const stream = `BT /F1 10 Tf 40 800 Td 12 TL\n${lines.map((l) => `(${l}) Tj T*`).join('\n')}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  if (options.encrypted)
    objects.push('<< /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >>');
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  const encrypt = options.encrypted
    ? ` /Encrypt ${objects.length} 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]`
    : '';
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A DOCX with one paragraph per line of `text`. */
export async function docxOf(text: string): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const paragraphs = text
    .split('\n')
    .map((l) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(l)}</w:t></w:r></w:p>`)
    .join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'uint8array' });
}
