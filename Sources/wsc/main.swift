print("wsc")
