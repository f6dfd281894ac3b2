"""The signed token in a card's QR code: CBOR claims in a COSE_Sign1 message (RFC 9052).

To keep the QR small enough to print well on a CR80 card, claims use small integer
keys and dates are whole days since 1970-01-01:

    1 card number   2 matricule   3 family name   4 given names   5 grade code
    6 unit code     7 agency code 8 issued (days) 9 expires (days)

Nothing else goes in: no NINA, no blood group, no health data, no photo.
The protected header carries the algorithm (1: -8, EdDSA) and the key id (4: bytes);
the message is tagged 18 and base64url-encoded without padding.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from matricule.cards.keys import public_key

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8
EPOCH = datetime.date(1970, 1, 1)
MAX_TOKEN_CHARS = 400
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")

CLAIM_NUMBER = 1
CLAIM_MATRICULE = 2
CLAIM_FAMILY = 3
CLAIM_GIVEN = 4
CLAIM_GRADE = 5
CLAIM_UNIT = 6
CLAIM_AGENCY = 7
CLAIM_ISSUED = 8
CLAIM_EXPIRES = 9


@dataclass(frozen=True)
class CardClaims:
    number: str
    matricule: str
    family_name: str
    given_names: str
    grade_code: str
    unit_code: str
    agency_code: str
    issued_on: datetime.date
    expires_on: datetime.date

    def to_cbor_map(self) -> dict[int, Any]:
        return {
            CLAIM_NUMBER: self.number,
            CLAIM_MATRICULE: self.matricule,
            CLAIM_FAMILY: self.family_name,
            CLAIM_GIVEN: self.given_names,
            CLAIM_GRADE: self.grade_code,
            CLAIM_UNIT: self.unit_code,
            CLAIM_AGENCY: self.agency_code,
            CLAIM_ISSUED: (self.issued_on - EPOCH).days,
            CLAIM_EXPIRES: (self.expires_on - EPOCH).days,
        }

    @classmethod
    def from_cbor_map(cls, data: Any) -> CardClaims:
        if not isinstance(data, dict):
            raise TokenError("claims")
        try:
            texts = [
                data[k]
                for k in (
                    CLAIM_NUMBER,
                    CLAIM_MATRICULE,
                    CLAIM_FAMILY,
                    CLAIM_GIVEN,
                    CLAIM_GRADE,
                    CLAIM_UNIT,
                    CLAIM_AGENCY,
                )
            ]
            days = [data[CLAIM_ISSUED], data[CLAIM_EXPIRES]]
        except KeyError:
            raise TokenError("claims") from None
        if not all(isinstance(t, str) for t in texts) or not all(
            isinstance(d, int) and 0 <= d < 200_000 for d in days
        ):
            raise TokenError("claims")
        number, matricule, family, given, grade, unit, agency = texts
        return cls(
            number=number,
            matricule=matricule,
            family_name=family,
            given_names=given,
            grade_code=grade,
            unit_code=unit,
            agency_code=agency,
            issued_on=EPOCH + datetime.timedelta(days=days[0]),
            expires_on=EPOCH + datetime.timedelta(days=days[1]),
        )


class TokenError(Exception):
    """The token is not a well-formed COSE_Sign1 message signed by one of our keys."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not text or len(text) > MAX_TOKEN_CHARS or not _B64URL.match(text):
        raise TokenError("base64")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("base64") from None


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign_payload(payload: bytes, *, kid: str, key: Ed25519PrivateKey) -> bytes:
    """A tagged COSE_Sign1 message over `payload`."""
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: bytes.fromhex(kid)})
    signature = key.sign(_sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def token_sign(claims: CardClaims, *, kid: str, key: Ed25519PrivateKey) -> str:
    return b64url_encode(sign_payload(cbor2.dumps(claims.to_cbor_map()), kid=kid, key=key))


def verify_message(message: bytes) -> tuple[str, bytes]:
    """Check a COSE_Sign1 message against our public keys; returns (kid, payload)."""
    try:
        decoded = cbor2.loads(message)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError):
        raise TokenError("cbor") from None
    if isinstance(decoded, cbor2.CBORTag):
        if decoded.tag != COSE_SIGN1_TAG:
            raise TokenError("tag")
        decoded = decoded.value
    if not isinstance(decoded, list | tuple) or len(decoded) != 4:
        raise TokenError("structure")
    protected, _unprotected, payload, signature = decoded
    if not isinstance(protected, bytes) or not isinstance(payload, bytes):
        raise TokenError("structure")
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise TokenError("signature")
    try:
        header = cbor2.loads(protected)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError):
        raise TokenError("header") from None
    if not isinstance(header, dict) or header.get(HEADER_ALG) != ALG_EDDSA:
        raise TokenError("alg")
    kid_raw = header.get(HEADER_KID)
    if not isinstance(kid_raw, bytes) or not 1 <= len(kid_raw) <= 8:
        raise TokenError("kid")
    kid = kid_raw.hex()
    key = public_key(kid)
    if key is None:
        raise TokenError("unknown kid")
    try:
        key.verify(signature, _sig_structure(protected, payload))
    except InvalidSignature:
        raise TokenError("signature") from None
    return kid, payload


def token_verify(token: str) -> tuple[str, CardClaims]:
    """The key id and the claims of a token whose signature is good; TokenError otherwise."""
    kid, payload = verify_message(b64url_decode(token))
    try:
        claims = cbor2.loads(payload)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError):
        raise TokenError("claims") from None
    return kid, CardClaims.from_cbor_map(claims)
