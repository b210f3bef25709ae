"""The problem catalogue: the homework as data, loaded and validated from ``problems/``."""

from symcheck.catalogue._load import Catalogue, default_catalogue_dir, load_catalogue, load_file
from symcheck.catalogue._model import ASK_KINDS, GRADING_RULES, Ask, Grading, KeyClaim, KeyStep, Part, Section
from symcheck.catalogue._problem import Problem

__all__ = ["ASK_KINDS", "GRADING_RULES", "Ask", "Catalogue", "Grading", "KeyClaim", "KeyStep",
           "Part", "Problem", "Section", "default_catalogue_dir", "load_catalogue", "load_file"]
