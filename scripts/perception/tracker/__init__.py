"""A small learned promptable video segmenter in SAM2's four-module split (see README.md here)."""
