"""Copy: one brief becomes fitted, voice-checked variants for every platform."""
