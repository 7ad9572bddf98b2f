"""ledger.note: checkpoints, note keys and signed notes, against the Go sumdb/note vector."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from ledger.note import (
    BadSignatureError,
    Checkpoint,
    InvalidKeyError,
    KeyIdMismatchError,
    MalformedCheckpointError,
    MalformedNoteError,
    NoteError,
    UnknownKeyError,
    Verifier,
    WrongOriginError,
    key_id,
    open_checkpoint,
    open_note,
    parse_private_key,
    parse_verifier_key,
    private_key_text,
    sign_note,
    verifier_key,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors"  # their sources: README.md there
NOTE = json.loads((VECTORS / "signed_note.json").read_text())
PETER = parse_verifier_key(NOTE["verifier_keys"][0]["vkey"])
ENOCH = parse_verifier_key(NOTE["verifier_keys"][1]["vkey"])
PETER_SIGNER = parse_private_key(NOTE["private_key_for_tests_only"])
SIGNED_BY_BOTH = NOTE["signed_note"] + NOTE["verifier_keys"][1]["signature_line"] + "\n"
ORIGIN = "kinerja.semarangkota.go.id/ledger"
ROOT = bytes(range(32))


def fresh_verifier(name: str) -> tuple[Ed25519PrivateKey, Verifier]:
    private_key = Ed25519PrivateKey.generate()
    return private_key, parse_verifier_key(verifier_key(name, private_key.public_key()))


# --- checkpoints -----------------------------------------------------------------------------

def test_a_checkpoint_is_origin_size_and_base64_root_on_three_lines():
    text = Checkpoint(ORIGIN, 7, ROOT).text()
    assert text == f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"


def test_a_checkpoint_parses_back_to_itself():
    checkpoint = Checkpoint(ORIGIN, 0, ROOT)
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


def test_checkpoint_extension_lines_are_kept_as_they_are():
    text = Checkpoint(ORIGIN, 3, ROOT).text() + "extension one\n"
    assert Checkpoint.parse(text).extensions == ("extension one",)
    assert Checkpoint.parse(text).text() == text


@pytest.mark.parametrize(
    "text",
    [
        f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",  # no final newline
        f"{ORIGIN}\n7\n",  # no root line
        "\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # empty origin
        f"{ORIGIN}\n07\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # leading zero
        f"{ORIGIN}\n+7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # sign
        f"{ORIGIN}\n\u0667\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # non-ASCII digit
        f"{ORIGIN}\n{2**64}\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # beyond uint64
        f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n",  # unpadded base64
        f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=\n",  # non-canonical base64
        f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n",  # 31-byte root
        f"{ORIGIN}\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n",  # empty extension
        f"{ORIGIN}\r\n7\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",  # control character
    ],
)
def test_a_malformed_checkpoint_is_rejected(text):
    with pytest.raises(MalformedCheckpointError) as caught:
        Checkpoint.parse(text)
    assert caught.value.code == "malformed_checkpoint"


@given(
    origin=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1),
    size=st.integers(min_value=0, max_value=2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
)
def test_any_valid_checkpoint_round_trips(origin, size, root):
    checkpoint = Checkpoint(origin, size, root)
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


# --- keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize("vector", NOTE["verifier_keys"], ids=lambda v: v["key_id_hex"])
def test_verifier_keys_from_the_vector_parse_and_print_back(vector):
    verifier = parse_verifier_key(vector["vkey"])
    assert verifier.key_id.hex() == vector["key_id_hex"]
    assert verifier_key(verifier.name, verifier.public_key) == vector["vkey"]


def test_the_key_id_hashes_name_newline_type_and_public_key():
    public = PETER.public_key.public_bytes_raw()
    assert key_id("PeterNeumann", public).hex() == "c74f20a3"


def test_the_test_private_key_parses_and_prints_back():
    assert PETER_SIGNER.name == "PeterNeumann"
    assert PETER_SIGNER.key_id == PETER.key_id
    assert (private_key_text(PETER_SIGNER.name, PETER_SIGNER.private_key)
            == NOTE["private_key_for_tests_only"])


def test_a_verifier_key_whose_id_does_not_match_its_key_is_rejected():
    with pytest.raises(KeyIdMismatchError) as caught:
        parse_verifier_key(NOTE["verifier_keys"][0]["vkey"].replace("c74f20a3", "c74f20a4"))
    assert caught.value.code == "key_id_mismatch"


def test_a_verifier_key_under_another_name_is_rejected():
    with pytest.raises(KeyIdMismatchError):
        parse_verifier_key(NOTE["verifier_keys"][0]["vkey"].replace("PeterNeumann", "PeterNeuman"))


@pytest.mark.parametrize(
    "text",
    [
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # not type 0x01
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_a_malformed_verifier_key_is_rejected(text):
    with pytest.raises(InvalidKeyError) as caught:
        parse_verifier_key(text)
    assert caught.value.code in {"invalid_key", "key_id_mismatch"}


def test_a_private_key_needs_its_prefix():
    with pytest.raises(InvalidKeyError):
        parse_private_key(NOTE["private_key_for_tests_only"].removeprefix("PRIVATE+"))


@pytest.mark.parametrize("name", ["", "two words", "a+b", "tab\there"])
def test_key_names_must_be_nonempty_without_spaces_or_plus(name):
    with pytest.raises(InvalidKeyError):
        verifier_key(name, PETER.public_key)


# --- signed notes ----------------------------------------------------------------------------

def test_signing_the_vector_text_reproduces_the_published_note():
    assert (sign_note(NOTE["note_text"], "PeterNeumann", PETER_SIGNER.private_key)
            == NOTE["signed_note"])


def test_the_published_note_opens_with_its_signer():
    assert open_note(NOTE["signed_note"], [PETER, ENOCH]) == (NOTE["note_text"], ["PeterNeumann"])


def test_a_note_signed_twice_reports_every_known_signer():
    assert open_note(SIGNED_BY_BOTH, [PETER, ENOCH])[1] == ["PeterNeumann", "EnochRoot"]


def test_signatures_from_unknown_keys_are_ignored():
    assert open_note(SIGNED_BY_BOTH, [ENOCH]) == (NOTE["note_text"], ["EnochRoot"])


def test_a_note_with_no_known_signer_is_rejected_naming_its_signers():
    with pytest.raises(UnknownKeyError) as caught:
        open_note(NOTE["signed_note"], [ENOCH])
    assert (caught.value.code, caught.value.signers) == ("unknown_key", ["PeterNeumann"])


def test_the_same_name_with_another_key_is_an_unknown_key():
    _, impostor = fresh_verifier("PeterNeumann")
    with pytest.raises(UnknownKeyError):
        open_note(NOTE["signed_note"], [impostor])


def test_a_tampered_text_fails_its_signature():
    tampered = NOTE["signed_note"].replace("cryptography", "cryptographs")
    with pytest.raises(BadSignatureError) as caught:
        open_note(tampered, [PETER])
    assert (caught.value.code, caught.value.name) == ("bad_signature", "PeterNeumann")


def test_a_bad_signature_from_a_known_key_rejects_the_note_even_beside_a_good_one():
    forged_line = NOTE["verifier_keys"][1]["signature_line"][:-8] + "AAAAAAA="
    with pytest.raises(BadSignatureError):
        open_note(NOTE["signed_note"] + forged_line + "\n", [PETER, ENOCH])


def test_a_signature_line_on_other_text_fails():
    private_key, verifier = fresh_verifier("kinerja.example/log")
    signature_line = sign_note("one\n", verifier.name, private_key).split("\n\n")[1]
    with pytest.raises(BadSignatureError):
        open_note("two\n\n" + signature_line, [verifier])


printable_or_newline = st.characters(blacklist_categories=["Cc", "Cs"]) | st.just("\n")


@given(text=st.text(printable_or_newline).map(lambda t: t + "\n"))
def test_any_text_even_with_blank_lines_round_trips_through_sign_and_open(text):
    private_key, verifier = fresh_verifier("kinerja.example/log")
    signed = sign_note(text, verifier.name, private_key)
    assert open_note(signed, [verifier]) == (text, [verifier.name])


@pytest.mark.parametrize(
    "signed",
    [
        NOTE["note_text"] + "\u2014 PeterNeumann AAAA\n",  # no blank line
        NOTE["note_text"] + "\n",  # no signature lines
        NOTE["signed_note"][:-1],  # signature block without final newline
        NOTE["signed_note"].replace("\u2014", "-"),  # hyphen instead of em dash
        NOTE["signed_note"].replace("x08go", "x08g*"),  # not base64
        NOTE["signed_note"].replace("PeterNeumann", "Peter+Neumann"),  # invalid name
        NOTE["signed_note"] + "\n",  # trailing blank line
        "text\tline\n\n" + NOTE["verifier_keys"][0]["signature_line"] + "\n",  # control character
        NOTE["note_text"] + "\n\u2014 PeterNeumann AAAA\n",  # signature under 5 bytes
        NOTE["signed_note"] + NOTE["verifier_keys"][1]["signature_line"] * 2 + "\n",  # run-on
        NOTE["signed_note"] + (NOTE["verifier_keys"][1]["signature_line"] + "\n") * 100,  # too many
    ],
)
def test_a_malformed_note_is_rejected(signed):
    with pytest.raises(MalformedNoteError) as caught:
        open_note(signed, [PETER, ENOCH])
    assert caught.value.code == "malformed_note"


@pytest.mark.parametrize("text", ["no final newline", "", "bell\a\n"])
def test_only_valid_text_ending_in_a_newline_can_be_signed(text):
    with pytest.raises(MalformedNoteError):
        sign_note(text, "PeterNeumann", PETER_SIGNER.private_key)


def test_error_codes_are_distinct_and_share_one_base():
    errors = [MalformedNoteError, MalformedCheckpointError, WrongOriginError, InvalidKeyError,
              KeyIdMismatchError, UnknownKeyError, BadSignatureError]
    assert all(issubclass(error, NoteError) for error in errors)
    assert len({error.code for error in [NoteError, *errors]}) == len(errors) + 1


# --- signed checkpoints ----------------------------------------------------------------------

def test_a_signed_checkpoint_opens_to_the_same_checkpoint():
    private_key, verifier = fresh_verifier(ORIGIN)
    checkpoint = Checkpoint(ORIGIN, 42, ROOT)
    signed = sign_note(checkpoint.text(), ORIGIN, private_key)
    assert open_checkpoint(signed, ORIGIN, [verifier]) == checkpoint


def test_a_checkpoint_from_another_log_is_rejected():
    private_key, verifier = fresh_verifier(ORIGIN)
    signed = sign_note(Checkpoint("other.example/log", 42, ROOT).text(), ORIGIN, private_key)
    with pytest.raises(WrongOriginError):
        open_checkpoint(signed, ORIGIN, [verifier])
