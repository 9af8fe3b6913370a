"""The window's panels (docks) and the item models behind them."""
