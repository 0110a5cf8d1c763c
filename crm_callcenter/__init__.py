"""Call-center engine: Erlang C/A, staffing, forecasting, KPIs, routing (planned)."""
