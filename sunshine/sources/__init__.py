"""Where each source system lives (`sources.yaml`) and how each transport is read."""
