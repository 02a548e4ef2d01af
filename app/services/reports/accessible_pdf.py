"""Every PDF the product writes goes through `write`: tagged with its document structure
for assistive technology (PDF/UA-1: /MarkInfo, /StructTreeRoot, /Lang, the title shown
instead of the file name), and, for documents filed for good such as the Report, also
archival (PDF/A-3a, itself tagged).

WeasyPrint writes one variant at a time, so the archival document is written as
PDF/A-3a (whose level "a" demands the same tagging) and then declares its PDF/UA-1
conformance in its XMP metadata with pikepdf: pdfuaid:part, and the extension schema
PDF/A asks for any property outside its predefined schemas.
The template must give what the tags cannot invent: `lang` on <html>, a <title>,
headings h1..h3 in order, <th> headers and alt text on every image."""
from __future__ import annotations

import io

from flask import current_app

_PDF_UA_DESCRIPTIONS = b"""<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
"""


def write(html: str, archival: bool = False) -> bytes:
    """The PDF of `html`: PDF/UA-1, and PDF/A-3a as well when `archival`."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=current_app.root_path)
    if not archival:
        return document.write_pdf(pdf_variant="pdf/ua-1")
    return _declare_pdf_ua(document.write_pdf(pdf_variant="pdf/a-3a"))


def _declare_pdf_ua(data: bytes) -> bytes:
    """The PDF/A document with its PDF/UA-1 identification added to its XMP packet."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        pdf.Root.Metadata.write(xmp.replace(b"</rdf:RDF>", _PDF_UA_DESCRIPTIONS + b"</rdf:RDF>", 1))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=False)
    return out.getvalue()
