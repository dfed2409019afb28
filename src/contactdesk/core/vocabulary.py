"""The words people use for the columns of a contact list, per language, and how a header is read.

This is the only header vocabulary: the preview's header-row detection (csv_dialect) and the
column mapping (mapping) both ask ``classify``. A header is first folded into words
(``header_words``: case, accents, ``_ - . ( ) /`` and digits such as "Phone 1" folded,
camelCase split), then:

- phone, email and company terms match as words *inside* a header: "Work Phone",
  "phone_work", "Phone (Mobile)", "Contact Phone Number", "Phone 1 - Value"; phone stems also
  match inside compound words ("Mobiltelefon", "Telefonnummer", "TelefonZentrale");
- name terms (full, first, last) match the *whole* header, a qualifier such as "Contact" or
  "Customer" aside, so "Name Prefix", "Given Name Yomi" or "Owner Name" are not names;
- a veto word ("Type", "Label", "Fax", ...) makes a header name no field: "Phone 1 - Type"
  says what kind of number is next to it, not the number;
- location terms (state, postal code, time zone) match the whole header (``location_kind``).

Adding a language is one entry in ``LANGUAGES``; terms are written as people write them
and folded the same way as headers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PHONE, NAME, FIRST_NAME, LAST_NAME, EMAIL, COMPANY = (
    "phone_number",
    "name",
    "first_name",
    "last_name",
    "email",
    "company",
)
# Internal kinds of term, resolved into the fields above by ``classify`` and the mapping.
COMPANY_WHOLE = "company (whole header)"  # words that mean the company only on their own: "Account"
BARE_NAME = "name (bare word)"  # "Nom", "Nombre", "Nome", "Naam": full, first or last name by context
OTHER = "other"  # ordinary column names that are no contact field: they only tell a header row
# Where the contact is (calling hours). Whole-header terms; the mapping takes such a column only
# when its values say so (a sales "Region: East" stays a template variable).
STATE, POSTAL_CODE, TIME_ZONE = "state", "postal_code", "time_zone"
LOCATION_KINDS = (STATE, POSTAL_CODE, TIME_ZONE)

LANGUAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        PHONE: (
            "phone", "phones", "phone number", "telephone", "telephone number", "tel", "mobile", "mobile phone",
            "mobile number", "cell", "cell phone", "cellphone", "cellular", "msisdn", "whatsapp", "whats app",
            "contact number", "contact numbers", "phone numbers", "phone no", "primary phone", "direct dial",
            "smartphone", "landline",
        ),
        EMAIL: ("email", "e mail", "mail", "emails", "email address"),
        COMPANY: ("company", "organization", "organisation", "employer", "firm"),
        COMPANY_WHOLE: ("account", "account name", "business", "business name", "org", "org name"),
        NAME: (
            "name", "full name", "fullname", "display name", "displayname", "contact", "contact name",
            "contactname", "customer", "client", "person", "recipient", "attendee",
        ),
        FIRST_NAME: ("first name", "firstname", "first", "given name", "givenname", "forename", "fname"),
        LAST_NAME: ("last name", "lastname", "last", "surname", "family name", "familyname", "lname"),
        STATE: ("state", "province", "region", "state/province", "state or province", "st", "state code"),
        POSTAL_CODE: ("zip", "zip code", "zipcode", "postal code", "postcode", "post code", "zip/postal code"),
        TIME_ZONE: ("time zone", "timezone", "tz", "time_zone"),
        OTHER: (
            "title", "job title", "position", "role", "department", "nickname", "middle name", "salutation",
            "prefix", "suffix", "address", "street", "city", "town", "state", "province", "region", "county",
            "zip", "postcode", "postal code", "country", "notes", "note", "comment", "comments", "remarks",
            "description", "tags", "tag", "group", "groups", "label", "labels", "status", "source", "owner",
            "id", "website", "url", "birthday", "date of birth", "dob", "gender", "age", "created", "updated",
            "balance", "currency", "language", "timezone", "fax", "type",
        ),
    },
    "de": {
        PHONE: ("telefon", "tel", "telefonnummer", "handy", "mobil", "mobiltelefon", "rufnummer", "festnetz"),
        EMAIL: ("e mail adresse", "email adresse", "mailadresse"),
        COMPANY: ("firma", "firmenname", "unternehmen", "betrieb"),
        NAME: ("vollstandiger name", "kontakt", "kunde", "ansprechpartner"),
        FIRST_NAME: ("vorname",),
        LAST_NAME: ("nachname", "familienname", "zuname"),
        STATE: ("bundesland", "bundesstaat", "region", "kanton", "provinz"),
        POSTAL_CODE: ("plz", "postleitzahl"),
        TIME_ZONE: ("zeitzone",),
        OTHER: ("anrede", "strasse", "ort", "plz", "postleitzahl", "land", "notizen", "bemerkung", "position"),
    },
    "fr": {
        PHONE: ("telephone", "tel", "portable", "mobile", "numero de telephone", "fixe"),
        EMAIL: ("courriel", "adresse e mail", "adresse email", "mel"),
        COMPANY: ("societe", "entreprise", "organisation", "raison sociale"),
        NAME: ("nom complet", "nom et prenom", "contact"),
        BARE_NAME: ("nom",),
        FIRST_NAME: ("prenom",),
        LAST_NAME: ("nom de famille",),
        STATE: ("région", "état", "province", "département"),
        POSTAL_CODE: ("code postal", "cp"),
        TIME_ZONE: ("fuseau horaire",),
        OTHER: ("civilite", "adresse", "ville", "code postal", "pays", "remarques", "fonction"),
    },
    "es": {
        PHONE: ("telefono", "tel", "movil", "celular", "numero de telefono", "fijo"),
        EMAIL: ("correo", "correo electronico", "email"),
        COMPANY: ("empresa", "compania", "organizacion", "razon social"),
        NAME: ("nombre completo", "contacto", "cliente"),
        BARE_NAME: ("nombre",),
        FIRST_NAME: ("nombres", "nombre de pila"),
        LAST_NAME: ("apellido", "apellidos", "apellido(s)", "primer apellido"),
        STATE: ("estado", "provincia", "región", "departamento"),
        POSTAL_CODE: ("código postal", "cp"),
        TIME_ZONE: ("zona horaria", "huso horario"),
        OTHER: ("direccion", "ciudad", "codigo postal", "pais", "notas", "cargo"),
    },
    "pt": {
        PHONE: ("telefone", "tel", "celular", "telemovel", "movel"),
        EMAIL: ("correio eletronico", "e mail"),
        COMPANY: ("empresa", "organizacao", "companhia"),
        NAME: ("nome completo", "contato", "contacto", "cliente"),
        BARE_NAME: ("nome",),
        FIRST_NAME: ("primeiro nome", "prenome"),
        LAST_NAME: ("sobrenome", "apelido", "ultimo nome"),
        STATE: ("estado", "uf", "província", "região"),
        POSTAL_CODE: ("cep", "código postal"),
        TIME_ZONE: ("fuso horário",),
        OTHER: ("endereco", "cidade", "cep", "pais", "observacoes", "cargo"),
    },
    "it": {
        PHONE: ("telefono", "tel", "cellulare", "cell", "numero di telefono"),
        EMAIL: ("posta elettronica", "e mail"),
        COMPANY: ("azienda", "societa", "ditta", "ragione sociale"),
        NAME: ("nome completo", "contatto", "cliente"),
        BARE_NAME: ("nome",),
        LAST_NAME: ("cognome",),
        STATE: ("provincia", "regione", "stato"),
        POSTAL_CODE: ("cap", "codice postale"),
        TIME_ZONE: ("fuso orario",),
        OTHER: ("indirizzo", "citta", "cap", "provincia", "note", "qualifica"),
    },
    "nl": {
        PHONE: ("telefoon", "telefoonnummer", "mobiel", "mobiele telefoon", "gsm", "tel"),
        EMAIL: ("e mail adres", "emailadres", "mailadres"),
        COMPANY: ("bedrijf", "bedrijfsnaam", "organisatie", "firma"),
        NAME: ("volledige naam", "klant"),
        BARE_NAME: ("naam",),
        FIRST_NAME: ("voornaam",),
        LAST_NAME: ("achternaam", "familienaam"),
        STATE: ("provincie", "staat"),
        POSTAL_CODE: ("postcode",),
        TIME_ZONE: ("tijdzone",),
        OTHER: ("adres", "straat", "woonplaats", "postcode", "land", "opmerkingen", "functie"),
    },
    "pl": {
        PHONE: ("telefon", "tel", "telefon komorkowy", "komorka", "numer telefonu", "nr telefonu"),
        EMAIL: ("adres e mail", "adres email", "poczta"),
        COMPANY: ("firma", "nazwa firmy", "przedsiebiorstwo", "organizacja"),
        NAME: ("imie i nazwisko", "pelna nazwa", "klient", "kontakt"),
        FIRST_NAME: ("imie",),
        LAST_NAME: ("nazwisko",),
        STATE: ("województwo", "stan"),
        POSTAL_CODE: ("kod pocztowy",),
        TIME_ZONE: ("strefa czasowa",),
        OTHER: ("adres", "ulica", "miasto", "kod pocztowy", "kraj", "uwagi", "stanowisko"),
    },
}  # fmt: skip

# Inside a compound word these still name a phone: "Mobiltelefon", "Handynummer", "Telefonzentrale".
PHONE_STEMS = ("phone", "telefon", "telefoon", "telephon", "mobil", "handy")
# Compounds that contain a stem but are no phone number.
NOT_PHONE_WORDS = frozenset(("phonetic", "telefax", "telefonart", "telefontyp", "mobilfunkanbieter", "telephonie"))

# A header with one of these words says something *about* a value, not the value itself.
VETO_WORDS = frozenset(
    """
    type types label labels kind typ art tipo etiquette etiqueta rodzaj soort fax telefax ext extension
    country code prefix verified valid validated status consent opt optin optout carrier provider count
    calls call yomi phonetic domain format preferred verification bounce bounced unsubscribed subscribed
    """.split()
)
# Besides the veto words, a company header never has these (they are facts about the company).
NOT_COMPANY_WORDS = frozenset(
    """
    address street city state zip postal postcode country phone telephone fax email mail website url web
    domain id number no nr size industry revenue employees owner manager title position department role
    vat tax registration currency balance linkedin twitter facebook
    """.split()
)
# An email header never has these: "E-mail Display Name" is the name shown for the address.
NOT_EMAIL_WORDS = frozenset(("display", "name"))
# Qualifiers around a name: "Contact Name", "Customer First Name" are still the name.
NAME_QUALIFIERS = frozenset(
    "contact customer client person member lead primary main billing your kunde kontakt".split()
)
# Columns of identifiers, postal codes and dates: their values can look like numbers to dial.
ID_LIKE_WORDS = frozenset(
    """
    id ids nr no number nummer numero num code zip zipcode postcode postal plz postleitzahl cp cap cep
    date datum fecha data time created modified updated birthday geburtstag dob year amount total
    balance price sum account reference ref invoice order sku ean iban vat tax
    """.split()
)

_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def header_words(header: str) -> tuple[str, ...]:
    """The words of a header, folded: 'Téléphone (Mobile) 2' -> ('telephone', 'mobile')."""
    text = _CAMEL_CASE.sub(" ", header).casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return tuple(word for word in _NOT_LETTERS.split(text) if word)


def _compile():
    inside: dict[str, dict[str, list[tuple[str, ...]]]] = {PHONE: {}, EMAIL: {}, COMPANY: {}}
    whole: dict[tuple[str, ...], str] = {}
    other: set[str] = set()
    locations: dict[tuple[str, ...], str] = {}
    for table in LANGUAGES.values():
        for kind, terms in table.items():
            for term in terms:
                words = header_words(term)
                if kind in LOCATION_KINDS:
                    locations.setdefault(words, kind)
                    if len(words) == 1:  # a header row's cell all the same ("Bundesland", "PLZ")
                        other.update(words)
                elif kind in inside:
                    inside[kind].setdefault(words[0], []).append(words)
                    whole.setdefault(words, kind)
                elif kind == OTHER:
                    other.update(words)
                else:
                    whole.setdefault(words, kind)
    return inside, whole, frozenset(other), locations


_INSIDE, _WHOLE, _OTHER_WORDS, _LOCATIONS = _compile()
_NOT_FIELD_WORDS = {EMAIL: NOT_EMAIL_WORDS, COMPANY: NOT_COMPANY_WORDS}
_INSIDE_ORDER = (EMAIL, PHONE, COMPANY)  # "Business Phone" is a phone, "Company Email" an email
EXACT, INSIDE = 2, 1  # how strongly a header names its field


def _contains(words: tuple[str, ...], first_words: dict[str, list[tuple[str, ...]]]) -> bool:
    for i, word in enumerate(words):
        for term in first_words.get(word, ()):
            if words[i : i + len(term)] == term:
                return True
    return False


def _compound_phone(words: tuple[str, ...]) -> bool:
    for word in words:
        if word in NOT_PHONE_WORDS:
            continue
        for stem in PHONE_STEMS:
            if word != stem and (word.startswith(stem) or word.endswith(stem)):
                return True
    return False


@lru_cache(maxsize=4096)
def classify_words(words: tuple[str, ...]) -> tuple[str, int] | None:
    """(kind, strength) for a folded header, or None when it names no contact field."""
    if not words:
        return None
    kind = _WHOLE.get(words)
    if kind is None and len(words) > 1:
        unqualified = tuple(word for word in words if word not in NAME_QUALIFIERS)
        named = _WHOLE.get(unqualified) if unqualified else None
        if named in (NAME, FIRST_NAME, LAST_NAME, BARE_NAME):
            kind = named
    if kind is not None:
        return (COMPANY if kind == COMPANY_WHOLE else kind), EXACT
    if not VETO_WORDS.isdisjoint(words):
        return None
    for field in _INSIDE_ORDER:
        if _contains(words, _INSIDE[field]):
            if not _NOT_FIELD_WORDS.get(field, frozenset()).isdisjoint(words):
                continue
            return field, INSIDE
    if _compound_phone(words):
        return PHONE, INSIDE
    return None


_PARENTHESES = re.compile(r"\([^)]*\)")


def classify(header: str) -> tuple[str, int] | None:
    """(kind, strength) for a header as written in a file; see the module's doc.

    A note in parentheses does not hide a whole-header name: "Name* (s.nom)" is the name."""
    if "(" in header:
        core = classify_words(header_words(_PARENTHESES.sub(" ", header)))
        if core is not None and core[1] == EXACT:
            return core
    return classify_words(header_words(header))


def is_header_cell(cell: str) -> bool:
    """Whether a cell reads like a column name (a contact field or another common column)."""
    if "@" in cell:
        return False
    words = header_words(cell)
    if not words:
        return False
    return classify_words(words) is not None or not _OTHER_WORDS.isdisjoint(words)


def location_kind(header: str) -> str | None:
    """STATE, POSTAL_CODE or TIME_ZONE when the whole header names one ("Bundesland", "Code postal"), else None."""
    return _LOCATIONS.get(header_words(header))


def is_id_like(header: str) -> bool:
    """A column of identifiers, postal codes or dates, whose values must not be taken for phones."""
    return not ID_LIKE_WORDS.isdisjoint(header_words(header))
