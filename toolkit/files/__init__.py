"""The boundary with the file system.

Workspace lookup, YAML read with positions, typed models and their located
validation errors, and the output folder that never loses an edit.
"""
