"""Entry point for Streamlit (dashboard not built yet)."""
