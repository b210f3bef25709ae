"""Question kinds: what each kind of question means, in one module per kind (see issue 8)."""
