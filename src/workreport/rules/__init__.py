"""The rule layer: relations between facts, derived figures, and the assembly of sections."""
