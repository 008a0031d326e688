// QR check-in on the organiser's phone: read the participant's code with the camera where the
// browser offers BarcodeDetector, fill the form and send it. Otherwise the typed code is used.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) return;
  var input = form.querySelector("input[name=code]");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var unavailable = document.getElementById("camera-unavailable");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    unavailable.hidden = false;
    return;
  }
  var detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (e) {
    unavailable.hidden = false;
    return;
  }
  var sent = false;
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      box.hidden = false;
      return video.play().then(scan);
    })
    .catch(function () {
      unavailable.hidden = false;
    });

  function scan() {
    if (sent) return;
    detector
      .detect(video)
      .then(function (codes) {
        if (codes.length && codes[0].rawValue) {
          sent = true;
          input.value = codes[0].rawValue;
          form.submit();
          return;
        }
        window.setTimeout(scan, 250);
      })
      .catch(function () {
        window.setTimeout(scan, 500);
      });
  }
})();
