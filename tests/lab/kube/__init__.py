"""The Kubernetes stand-in API server's modules (see tests/lab/kube-standin.py)."""
