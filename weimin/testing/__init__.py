"""Test support shipped with the package: the throwaway PostgreSQL cluster runner."""
