// A document over the size limit is stopped before it is sent, with the reason at the field.
// The server refuses it anyway (from the request's Content-Length, config/request_size.py);
// this spares the wait for the upload, and a browser that would show a broken connection.
(function () {
  "use strict";

  function showError(input, message) {
    var field = input.closest(".utrecht-form-field");
    var id = input.name + "-size-error";
    var error = document.getElementById(id);
    if (!error) {
      error = document.createElement("div");
      error.id = id;
      error.className = "utrecht-form-field__error-message utrecht-form-field-error-message";
      field.insertBefore(error, field.querySelector(".utrecht-form-field__input"));
    }
    error.textContent = message;
    field.classList.add("utrecht-form-field--invalid");
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(id) === -1) {
      described.push(id);
      input.setAttribute("aria-describedby", described.join(" ").trim());
    }
  }

  function clearError(input) {
    var error = document.getElementById(input.name + "-size-error");
    if (error) {
      error.remove();
      input.removeAttribute("aria-invalid");
    }
  }

  function tooLarge(input) {
    var max = Number(input.dataset.maxBytes);
    return Array.prototype.some.call(input.files || [], function (file) {
      return file.size > max;
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      if (tooLarge(input)) {
        showError(input, input.dataset.tooLarge);
      } else {
        clearError(input);
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i += 1) {
      if (tooLarge(inputs[i])) {
        event.preventDefault();
        showError(inputs[i], inputs[i].dataset.tooLarge);
        inputs[i].focus();
        return;
      }
    }
  });
})();
