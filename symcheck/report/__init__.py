"""The verification report: LaTeX/PDF and standalone HTML (MathML) documents."""
