"""What a SAML 2.0 service provider must check in an IdP's Response (Web Browser SSO, POST
binding), with the XML signature verified by SignXML, a maintained pure-Python XML-DSig library.

Everything the SP trusts is read from the element the signature covers (`signed_xml`), never
from the document it came in: that is the defense against XML signature wrapping.
"""

from __future__ import annotations

import binascii
import re
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

NS = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion",
      "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
MAX_RESPONSE = 256 * 1024  # a real Response is a few KiB
WRAPPING = re.compile(r"[ \t\r\n]")  # base64 MAY be line-wrapped (SAML Bindings §3.5.4)


class SamlRejected(Exception):
    """Why the SP refused the Response; logged, and the user sees a plain 401."""


@dataclass
class ServiceProvider:
    entity_id: str          # our Audience
    acs_url: str            # where the IdP posts: must equal Recipient
    idp_entity_id: str      # the only Issuer we accept
    idp_cert_pem: str       # from the IdP's metadata, exchanged out of band
    leeway: timedelta = timedelta(seconds=30)
    # Replay cache: per process and check-then-set. With several workers, use one shared
    # atomic store instead (Redis SET key NX EX ttl, or a unique constraint in the database).
    seen_ids: dict[str, datetime] = field(default_factory=dict)


def _time(value: str | None) -> datetime:
    if not value:
        raise SamlRejected("missing timestamp")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SamlRejected(f"bad timestamp {value!r}") from None
    if moment.utcoffset() is None:  # SAML times are UTC with "Z" (SAML Core §1.3.3)
        raise SamlRejected(f"timestamp without time zone {value!r}")
    if not 1 < moment.year < 9999:  # the leeway or a UTC offset would overflow datetime
        raise SamlRejected(f"timestamp out of range {value!r}")
    return moment


# --8<-- [start:naive_saml]
def user_naive(saml_response_b64: str, idp_cert_pem: str) -> str:
    """DO NOT USE: checks that a valid signature exists, then reads the first NameID."""
    xml = b64decode(saml_response_b64)
    XMLVerifier().verify(xml, x509_cert=idp_cert_pem)  # result thrown away
    return etree.fromstring(xml).findtext(".//saml:NameID", namespaces=NS)
# --8<-- [end:naive_saml]


# --8<-- [start:saml_signature]
def signed_assertion(sp: ServiceProvider, saml_response_b64: str) -> etree._Element:
    """Decode the POSTed SAMLResponse and return the Assertion the IdP's key signed."""
    if len(saml_response_b64) > MAX_RESPONSE:
        raise SamlRejected("SAMLResponse too large")
    try:
        xml = b64decode(WRAPPING.sub("", saml_response_b64), validate=True)  # strict otherwise
    except (binascii.Error, ValueError):
        raise SamlRejected("SAMLResponse is not base64") from None
    config = SignatureConfiguration(  # the signature must sit in the Assertion, nowhere else
        location=f"./{{{NS['saml']}}}Assertion/", expect_references=1)
    try:
        result = XMLVerifier().verify(xml, x509_cert=sp.idp_cert_pem, expect_config=config)
    except (InvalidSignature, InvalidInput, etree.XMLSyntaxError) as exc:
        raise SamlRejected(f"signature check failed: {exc}") from None
    assertion = result.signed_xml  # read ONLY this element from here on
    if assertion is None or assertion.tag != f"{{{NS['saml']}}}Assertion":
        raise SamlRejected("the signature does not cover an Assertion")
    return assertion
# --8<-- [end:saml_signature]


# --8<-- [start:saml_checks]
def check_assertion(sp: ServiceProvider, assertion: etree._Element,
                    request_id: str | None, now: datetime) -> str:
    """Apply the Web Browser SSO profile's rules; return the NameID of the user."""
    def one(path: str) -> etree._Element:
        found = assertion.xpath(path, namespaces=NS)
        if len(found) != 1:
            raise SamlRejected(f"expected exactly one {path}, found {len(found)}")
        return found[0]

    if one("saml:Issuer").text != sp.idp_entity_id:
        raise SamlRejected("unexpected Issuer")
    conf = one(f"saml:Subject/saml:SubjectConfirmation[@Method='{BEARER}']"
               "/saml:SubjectConfirmationData")
    if conf.get("Recipient") != sp.acs_url:
        raise SamlRejected("Recipient is not our ACS URL")
    if not request_id or conf.get("InResponseTo") != request_id:  # our AuthnRequest's ID
        raise SamlRejected("InResponseTo does not match our request")  # none: unsolicited
    cond = one("saml:Conditions")
    if now - sp.leeway >= _time(conf.get("NotOnOrAfter")) \
            or now - sp.leeway >= _time(cond.get("NotOnOrAfter")):
        raise SamlRejected("assertion expired (NotOnOrAfter)")
    if cond.get("NotBefore") and now + sp.leeway < _time(cond.get("NotBefore")):
        raise SamlRejected("assertion not yet valid (NotBefore)")
    restrictions = cond.xpath("saml:AudienceRestriction", namespaces=NS)
    if not restrictions or any(sp.entity_id not in r.xpath("saml:Audience/text()", namespaces=NS)
                               for r in restrictions):  # every restriction must name us
        raise SamlRejected("we are not in the Audience")
    assertion_id = assertion.get("ID")
    sp.seen_ids = {k: t for k, t in sp.seen_ids.items() if t > now}  # forget expired ones
    if assertion_id in sp.seen_ids:
        raise SamlRejected("assertion replayed")
    sp.seen_ids[assertion_id] = _time(conf.get("NotOnOrAfter")) + sp.leeway
    return one("saml:Subject/saml:NameID").text or ""
# --8<-- [end:saml_checks]
