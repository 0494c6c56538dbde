"""Collectors: one subpackage per source; each registers the file formats it reads."""
