"""The words of a code are the same whichever services share the process."""

import pytest

from shared.words import WORDS, register


def test_a_code_named_otherwise_is_refused_and_the_same_words_are_accepted():
    register({"test_only_code": "Test only"})
    register({"test_only_code": "Test only"})  # the same words again: nothing changes
    with pytest.raises(ValueError, match="test_only_code"):
        register({"test_only_code": "Something else"})
    assert WORDS["test_only_code"] == "Test only"
