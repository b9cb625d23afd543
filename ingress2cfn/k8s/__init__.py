"""The Kubernetes edge: files or the official client; read, watch, patch status. No logic."""
